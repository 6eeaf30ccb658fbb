export type ProgrammeLine = { date: string; time: string; title: string; speakers: string };

/** The programme of an event: the day is written on the first line and when it changes. */
export function EventProgramme({ programme }: { programme: ProgrammeLine[] }) {
  if (programme.length === 0) return null;
  return (
    <section className="card" aria-labelledby="programme">
      <h2 id="programme">Programme</h2>
      <ol className="programme">
        {programme.map((item, index) => (
          <li key={index}>
            <span>
              {item.date !== programme[0]?.date || index === 0
                ? `${item.date.split("-").reverse().join("/")} `
                : ""}
              {item.time.replace(":", " h ")}
            </span>
            <span>
              <strong>{item.title}</strong>
              {item.speakers ? <span className="muted"> — {item.speakers}</span> : null}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
