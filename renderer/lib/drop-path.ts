// A folder path from a drop: a file:// URI or a plain path dragged from a file manager or a terminal.
// Browsers do not reveal a dropped folder's path, so a drop that carries only files gives null.
export function pathFromDrop(data: Pick<DataTransfer, 'getData'>): string | null {
  const uri = data
    .getData('text/uri-list')
    .split(/\r?\n/)
    .find((l) => l && !l.startsWith('#'));
  if (uri?.startsWith('file://')) return decodeURIComponent(new URL(uri).pathname.replace(/^\/([A-Za-z]:)/, '$1'));
  const text = data.getData('text/plain').trim();
  return text && !text.includes('\n') ? text.replace(/^file:\/\//, '') : null;
}
