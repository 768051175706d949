// `homegrown runs list` and `homegrown runs add <run-folder>`: the app's library of runs, through the
// same service the app calls.
import { Command } from 'commander';
import type { Run } from '#shared/api/runs';
import { homeOption, withService } from './library';

function line(r: Run): string {
  return `${String(r.id).padStart(4)}  ${r.state.padEnd(11)} ${`${r.model} ${r.size}px`.padEnd(11)} step ${`${r.step}/${r.targetStep}`.padEnd(13)} ${r.datasetName}`;
}

export function runsCommand(): Command {
  const runs = new Command('runs');

  runs
    .command('list')
    .description('the runs in the library, newest first: number, state, model, step, dataset')
    .addOption(homeOption())
    .option('--json', 'print the runs as JSON')
    .action(async (o: { home?: string; json?: boolean }) => {
      const list = await withService(o.home, (call) => call('runs.list', {}));
      if (o.json) console.log(JSON.stringify(list, null, 2));
      else if (list.length === 0) console.log('no runs yet: homegrown train <folder> makes one, homegrown runs add <run-folder> adds one');
      else for (const r of list) console.log(line(r));
    });

  runs
    .command('add')
    .description('add a run folder made elsewhere to the library (it stays where it is), with its checkpoints and sample sheets')
    .argument('<run-folder>', 'the folder training made (it holds run.json, checkpoints/ and samples/)')
    .addOption(homeOption())
    .action(async (folder: string, o: { home?: string }) => {
      const run = await withService(o.home, (call) => call('runs.add', { folder }));
      console.log(`added run ${run.id}: ${run.model} ${run.size}px on ${run.datasetName}, step ${run.step}`);
    });

  return runs;
}
