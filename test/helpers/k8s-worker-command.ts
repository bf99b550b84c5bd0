import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { BIN, ROOT } from './cli.js';

/** The kustomize base of gauntlet's distributed load on Kubernetes. */
export const K8S_BASE = join(ROOT, 'deploy', 'kubernetes', 'base');

/** What a container of the base runs, read from its manifest: to run exactly that outside Kubernetes. */
export interface ContainerCommand {
  /** The container's `command`, as written: ['/bin/sh', '-c']. */
  command: string[];
  /** The container's `args`: the one script `sh -c` runs. */
  args: string[];
  /** The script itself (args[0]). */
  script: string;
  /** The container's `env` entries, name to value. Kubernetes adds JOB_COMPLETION_INDEX to a worker's. */
  env: Record<string, string>;
  /** Secrets every key of which becomes a variable (`envFrom`): the keys the profile reads. */
  secretsFrom: string[];
}

/** The worker container of the workers Job: its script runs `gauntlet worker` for segment JOB_COMPLETION_INDEX + 1. */
export function workerCommand(baseDir = K8S_BASE): ContainerCommand {
  return containerCommand(join(baseDir, 'workers-job.yaml'));
}

/** The coordinator container of the coordinator Job: its script runs `gauntlet run ... --coordinator`. */
export function coordinatorCommand(baseDir = K8S_BASE): ContainerCommand {
  return containerCommand(join(baseDir, 'coordinator-job.yaml'));
}

/**
 * Makes `gauntlet` in `dir` this checkout's bin/gauntlet.js, as the image's /usr/local/bin/gauntlet is: put `dir`
 * first on PATH and a container's script runs this gauntlet.
 */
export function linkGauntletInto(dir: string): string {
  symlinkSync(BIN, join(dir, 'gauntlet'));
  return dir;
}

interface Container {
  name: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { secretRef?: { name: string }; configMapRef?: { name: string } }[];
}

function containerCommand(file: string): ContainerCommand {
  const jobs = parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => document.toJS())
    .filter((object) => object?.kind === 'Job');
  if (jobs.length !== 1) throw new Error(`${file}: expected one Job, found ${jobs.length}`);
  const containers: Container[] = jobs[0].spec?.template?.spec?.containers ?? [];
  if (containers.length !== 1) throw new Error(`${file}: expected the Job's pod to have one container, found ${containers.length}`);
  const container = containers[0]!;
  const { command = [], args = [] } = container;
  if (command.join(' ') !== '/bin/sh -c' || args.length !== 1) {
    throw new Error(`${file}: container ${container.name} should run one script through /bin/sh -c (command: [/bin/sh, -c], args: [script]), not ${JSON.stringify([...command, ...args])}`);
  }
  const env: Record<string, string> = {};
  for (const entry of container.env ?? []) {
    // A value the cluster fills in (a field, a Secret key) could not be reproduced outside it.
    if (entry.value === undefined) throw new Error(`${file}: env ${entry.name} of container ${container.name} has no literal value; this helper reads only literal values`);
    env[entry.name] = entry.value;
  }
  const envFrom = container.envFrom ?? [];
  const configMaps = envFrom.filter((source) => source.configMapRef);
  if (configMaps.length > 0) throw new Error(`${file}: container ${container.name} takes variables from a ConfigMap (envFrom), which this helper does not read`);
  return { command, args, script: args[0]!, env, secretsFrom: envFrom.flatMap((source) => (source.secretRef ? [source.secretRef.name] : [])) };
}
