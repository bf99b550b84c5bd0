#!/usr/bin/env node
import { isatty } from 'node:tty';
import { main } from '../dist/cli.js';

// A reader that goes away (`gauntlet ... | head -1`) is not an error worth a stack trace. A terminal that goes away
// (a closed window, a dropped ssh session: the SIGHUP case) fails every write with EIO: the run still stops its
// checks and writes its report, with nothing more shown.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (error.code === 'EIO') return;
    throw error;
  });
}
const terminals = [0, 1, 2].filter((fd) => isatty(fd));

process.exitCode = await main(process.argv.slice(2));

// Node 20 aborts (SIGABRT, a core dump) when at exit it cannot restore a terminal that has hung up (which then no
// longer answers as a terminal). Ending by the hang-up signal itself skips that, and tells the parent what happened.
if (terminals.some((fd) => !isatty(fd))) process.kill(process.pid, 'SIGHUP');
