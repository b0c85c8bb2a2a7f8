// print.js: a lesson's expandable sections (<details class="aside">, from
// its ::: details containers) are printed open, and closed again after
// printing, as the reader had left them. The stylesheet does the same
// where the browser can style a closed section's content; this covers
// the others.

// printOpen follows win's printing; doc holds the sections. It returns a
// function that stops following.
export function printOpen(win, doc) {
  let opened = [];
  const before = () => {
    opened = [...doc.querySelectorAll('details.aside')].filter(d => !d.open);
    for (const d of opened) d.open = true;
  };
  const after = () => {
    for (const d of opened) d.open = false;
    opened = [];
  };
  win.addEventListener('beforeprint', before);
  win.addEventListener('afterprint', after);
  return () => {
    win.removeEventListener('beforeprint', before);
    win.removeEventListener('afterprint', after);
  };
}
