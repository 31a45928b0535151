import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliEntry, compiledFixtures } from '../helpers/paths.js';
import { run } from '../helpers/proc.js';
import { tempDir } from '../helpers/tmp.js';

const app = join(compiledFixtures, 'viewer-app.js');

test('view -e without a terminal passes filtered lines through and keeps the exit code', async (t) => {
  const runtime = tempDir(t);
  const result = await run(
    process.execPath,
    [cliEntry, 'view', '-e', `"${process.execPath}" "${app}"`, '--filter', '^error'],
    {
      env: { ...process.env, VIEWER_TICKS: '10', VIEWER_EXIT: '3', LOGDIAL_RUNTIME_DIR: runtime },
      timeoutMs: 30000,
    },
  );
  assert.equal(result.code, 3, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.deepEqual(
    lines,
    Array.from({ length: 10 }, (_, i) => `ERROR tick ${i + 1}`),
  );
});

test('view reads standard input when no command is given', async () => {
  const result = await run(process.execPath, [cliEntry, 'view', '-f', 'keep'], {
    input: 'keep 1\ndrop 2\n\x1b[31mkeep\x1b[0m 3\nlast keep',
    timeoutMs: 15000,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'keep 1\n\x1b[31mkeep\x1b[0m 3\nlast keep\n');
});

// Drives the viewer on a real pseudo-terminal (python3's pty module): waits for INFO lines, presses
// 'd' (root → DEBUG in the viewed program), waits for DEBUG lines, then 'q'.
const PTY_DRIVER = `
import os, pty, sys, time, select, signal
argv = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.environ['COLUMNS'] = '120'; os.environ['LINES'] = '30'
    os.execv(argv[0], argv)
buf = b''
def wait_for(token, timeout):
    global buf
    end = time.time() + timeout
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            if token in buf[-20000:]:
                return True
    return False
ok = wait_for(b'INFO tick', 20)
print('saw-info' if ok else 'no-info', flush=True)
time.sleep(0.5)
buf = b''
os.write(fd, b'd')
ok = wait_for(b'DEBUG tick', 20)
print('saw-debug' if ok else 'no-debug', flush=True)
status = b'root' in buf and b'DEBUG on 1/1' in buf
print('saw-ack' if status else 'no-ack', flush=True)
os.write(fd, b'q')
end = time.time() + 15
code = None
while time.time() < end:
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        code = os.waitstatus_to_exitcode(st); break
    try:
        select.select([fd], [], [], 0.2) and os.read(fd, 65536)
    except OSError:
        pass
if code is None:
    os.kill(pid, signal.SIGKILL)
print('exit', code, flush=True)
`;

test('on a terminal, pressing d turns the viewed program to DEBUG and q quits', async (t) => {
  const runtime = tempDir(t);
  const result = await run(
    'python3',
    ['-c', PTY_DRIVER, process.execPath, cliEntry, 'view', '-e', `"${process.execPath}" "${app}"`],
    {
      env: { ...process.env, LOGDIAL_RUNTIME_DIR: runtime, TERM: 'xterm' },
      timeoutMs: 90000,
    },
  );
  assert.match(result.stdout, /saw-info/, result.stderr);
  assert.match(result.stdout, /saw-debug/, result.stderr);
  assert.match(result.stdout, /saw-ack/, result.stderr);
  assert.match(result.stdout, /exit \d+/);
  assert.doesNotMatch(result.stdout, /exit None/);
});

test('viewed lines reach the terminal with their colours only: no cursor moves, titles, clipboard writes or controls', async () => {
  const { forScreen, stripAnsi } = await import('../../src/viewer/ansi.js');
  const red = '\x1b[31mERROR\x1b[0m';
  assert.equal(forScreen(`${red} db down`), `${red} db down`, 'SGR colours kept');
  const hostile = [
    '\x1b[2J\x1b[H', // clear screen, cursor home
    '\x1b]0;owned\x07', // window title
    '\x1b]52;c;ZWNobyBoaQ==\x1b\\', // clipboard write (OSC 52)
    '\x1bP+q544e\x1b\\', // DCS (terminal query)
    '\x1bc', // full reset
    '\x1b]8;;http://x\x07', // unterminated-looking hyperlink start
    '\r',
    '\b',
    '\x07',
    '\x9b31m', // CR, backspace, bell, C1 CSI
  ];
  for (const seq of hostile) {
    const shown = forScreen(`a${seq}b`);
    assert.equal(stripAnsi(shown), 'ab', JSON.stringify(seq));
    assert.ok(
      !/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(shown.replace(/\x1b\[[0-9;]*m/g, '')),
      `${JSON.stringify(seq)} left ${JSON.stringify(shown)}`,
    );
  }
  assert.equal(forScreen('a\tb'), 'a    b');
});
