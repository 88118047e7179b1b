import { PassThrough } from 'node:stream';
import { jsonDisplay, plainDisplay, terminalDisplay } from '../../src/cli/display';
import { results, usage } from './results';

function sink(): { write: (text: string) => boolean; text: () => string } {
  let out = '';
  return { write: (text: string) => ((out += text), true), text: () => out };
}

describe('plainDisplay', () => {
  test('prints notices, lines and the summary as lines, and no progress or interim', () => {
    const out = sink();
    const display = plainDisplay(out, []);
    display.notice(['using the emulator']);
    display.line('[   1.0 s] Hello.');
    display.interim('… hel');
    display.progress({ position: 1, total: 2, sent: 1, keepAlives: 0, holding: false });
    display.event(results('Hello.'));
    display.stop();
    display.summary(['Summary']);
    expect(out.text()).toBe('using the emulator\n[   1.0 s] Hello.\nSummary\n');
  });

  test('masks secrets in notices, lines and the summary, e.g. a server error quoting the key', () => {
    const out = sink();
    const display = plainDisplay(out, ['key-secret-1']);
    display.notice(['notice key-secret-1']);
    display.line('  ! server error (X): rejected Token key-secret-1');
    display.summary(['summary key-secret-1']);
    expect(out.text()).toBe('notice ***\n  ! server error (X): rejected Token ***\nsummary ***\n');
  });

  test('shows the control characters of a server message as text instead of sending them to the terminal', () => {
    const out = sink();
    const display = plainDisplay(out, []);
    display.line('[   1.0 s] Hello\u001b[2J\nworld');
    expect(out.text()).toBe('[   1.0 s] Hello\\x1b[2J\\x0aworld\n');
  });
});

describe('jsonDisplay', () => {
  test('prints only events on stdout, one JSON line each, and notices on stderr', () => {
    const out = sink();
    const err = sink();
    const display = jsonDisplay(out, err, []);
    display.notice(['using the emulator']);
    display.line('[   1.0 s] Hello.');
    display.event(results('Hello.'));
    display.event(usage({ audioSeconds: 1 }));
    display.summary(['Summary']);
    const lines = out.text().trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { type: string }).type)).toEqual(['Results', 'Usage']);
    expect(err.text()).toBe('deepgram-rx: using the emulator\n');
  });

  test('masks secrets in the JSON lines', () => {
    const out = sink();
    jsonDisplay(out, sink(), ['key-secret-1']).event({ type: 'Unknown', raw: 'key-secret-1' });
    expect(out.text()).not.toContain('key-secret-1');
  });
});

describe('terminalDisplay', () => {
  /** A fake terminal: a writable TTY stream that records what is written, escape codes removed. */
  function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string; raw: () => string } {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream & { isTTY: boolean; columns: number };
    stream.isTTY = true;
    stream.columns = 80;
    let out = '';
    (stream as unknown as PassThrough).on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    // eslint-disable-next-line no-control-regex
    return { stream, text: () => out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''), raw: () => out };
  }

  test('lines logged while the bar runs are all printed, and the summary comes after the cleared bar', async () => {
    const terminal = fakeTerminal();
    const display = terminalDisplay(terminal.stream, true, []);
    display.line('banner');
    display.progress({ position: 1, total: 10, sent: 1, keepAlives: 0, holding: false });
    display.line('[   1.0 s] Hello.');
    display.interim('… wor');
    display.line('  · KeepAlive at 4.0 s (pause)');
    await new Promise((resolve) => setImmediate(resolve));
    display.stop();
    display.summary(['Summary']);
    await new Promise((resolve) => setImmediate(resolve));
    const text = terminal.text();
    expect(text.indexOf('banner')).toBeLessThan(text.indexOf('[   1.0 s] Hello.'));
    expect(text.indexOf('[   1.0 s] Hello.')).toBeLessThan(text.indexOf('KeepAlive at 4.0 s'));
    expect(text.trimEnd().endsWith('Summary')).toBe(true);
    expect(text).toContain('1.0 / 10.0 s');
  });

  test('masks secrets in lines, the interim line and the summary', async () => {
    const terminal = fakeTerminal();
    const display = terminalDisplay(terminal.stream, true, ['key-secret-1']);
    display.line('before the bar key-secret-1');
    display.progress({ position: 1, total: 10, sent: 1, keepAlives: 0, holding: false });
    display.line('under the bar key-secret-1');
    display.interim('… interim key-secret-1');
    await new Promise((resolve) => setImmediate(resolve));
    display.stop();
    display.summary(['summary key-secret-1']);
    await new Promise((resolve) => setImmediate(resolve));
    const text = terminal.text();
    expect(text).toContain('under the bar ***');
    expect(text).toContain('interim ***');
    expect(text).not.toContain('key-secret-1');
  });

  test('shows the control characters of lines and the interim line as text', async () => {
    const terminal = fakeTerminal();
    const display = terminalDisplay(terminal.stream, true, []);
    display.progress({ position: 1, total: 10, sent: 1, keepAlives: 0, holding: false });
    display.line('line \u001b]0;title\u0007');
    display.interim('… interim \u001b]2;other\u0007');
    await new Promise((resolve) => setImmediate(resolve));
    display.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(terminal.raw()).toContain('line \\x1b]0;title\\x07');
    expect(terminal.raw()).toContain('interim \\x1b]2;other\\x07');
    expect(terminal.raw()).not.toContain('\u0007');
  });

  test('stop leaves no timer running', () => {
    const terminal = fakeTerminal();
    jest.useFakeTimers();
    try {
      const display = terminalDisplay(terminal.stream, false, []);
      display.progress({ position: 1, total: 10, sent: 1, keepAlives: 0, holding: false });
      display.stop();
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
