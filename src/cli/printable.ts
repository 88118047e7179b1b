/**
 * Text from the other side of the connection (a transcript, an error description, a close reason)
 * is printed on the user's terminal: control characters in it are shown, not obeyed.
 */

// C0 controls but the tab, DEL, and the C1 controls (an 8-bit CSI among them): matching them is the point.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/gu;

function escapeControl(char: string): string {
  return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * `text` with every control character but the tab written as `\xHH`: an escape sequence in a
 * server's message cannot move the cursor, recolour or clear the terminal, and a line stays one
 * line. Apply it to one line at a time.
 *
 * @example
 * printable('ok\u001b[2J'); // 'ok\\x1b[2J'
 */
export function printable(text: string): string {
  return text.replace(CONTROL, escapeControl);
}
