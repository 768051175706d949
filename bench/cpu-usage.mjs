// Preloaded (node --import) by bench/startup.ts into every command it times: prints the process's CPU
// time, user + system over all its threads, when it exits. On a shared machine CPU time is what load
// inflates least.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\ncpu-seconds: ${(user + system) / 1e6}\n`);
});
