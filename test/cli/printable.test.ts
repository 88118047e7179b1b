import { printable } from '../../src/cli/printable';

describe('printable', () => {
  test('writes an escape sequence as text', () => {
    expect(printable('ok\u001b[2J\u001b]0;title\u0007')).toBe('ok\\x1b[2J\\x1b]0;title\\x07');
  });

  test('writes line breaks, NUL, DEL and the C1 controls as text', () => {
    expect(printable('a\nb\rc\u0000d\u007fe\u009bf')).toBe('a\\x0ab\\x0dc\\x00d\\x7fe\\x9bf');
  });

  test('leaves tabs, punctuation and non-ASCII letters as they are', () => {
    const text = 'tab\there, "quoted" \\ café – 日本語 🎙';
    expect(printable(text)).toBe(text);
  });
});
