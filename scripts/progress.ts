/** A one-line progress count with the time left, redrawn in place on a terminal. */
export function progress(label: string, total: number) {
  const started = Date.now();
  let lastDraw = 0;
  const interactive = process.stderr.isTTY;
  return {
    update(done: number) {
      if (!interactive || Date.now() - lastDraw < 100) return;
      lastDraw = Date.now();
      const elapsed = (Date.now() - started) / 1000;
      const left = done > 0 ? (elapsed / done) * (total - done) : 0;
      const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
      process.stderr.write(
        `\r${label} : ${done}/${total} (${percent} %), reste ~${Math.ceil(left)} s   `,
      );
    },
    finish() {
      if (interactive) process.stderr.write("\r\x1b[K");
      return (Date.now() - started) / 1000;
    },
  };
}

/** A progress bar drawn from `(done, total)` reports, for work that learns its total as it goes. */
export function progressCallback(label: string) {
  let bar: ReturnType<typeof progress> | undefined;
  return (done: number, total: number) => {
    bar ??= progress(label, total);
    bar.update(done);
    if (done >= total) bar.finish();
  };
}
