/** Placeholder of a section whose issue has not landed yet. */
export function ComingSoon({ title, text }: { title: string; text: string }) {
  return (
    <div className="container">
      <h1>{title}</h1>
      <p>{text}</p>
      <p className="muted">Cette rubrique est en préparation.</p>
    </div>
  );
}
