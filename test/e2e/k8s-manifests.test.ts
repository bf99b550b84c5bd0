import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { Service } from 'kubernetes-models/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT, runCli } from '../helpers/cli.js';
import { typeErrorsOf } from '../helpers/k8s-known-fields.js';
import { coordinatorCommand, K8S_BASE, workerCommand, type ContainerCommand } from '../helpers/k8s-worker-command.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: { exec?: { command: string[] } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; runAsNonRoot?: boolean; capabilities?: { drop?: string[]; add?: string[] } };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface PodSpec {
  restartPolicy?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: { runAsNonRoot?: boolean };
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; configMap?: { name: string }; emptyDir?: object }[];
}
interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  /** Each kind's spec is read where its kind is known. */
  spec: any;
}

/** The model of each kind the base deploys, by apiVersion and kind. */
const VALIDATE: Record<string, (object: K8sObject) => void> = {
  'apps/v1 Deployment': (o) => new Deployment(o as never).validate(),
  'v1 Service': (o) => new Service(o as never).validate(),
  'networking.k8s.io/v1 NetworkPolicy': (o) => new NetworkPolicy(o as never).validate(),
  'batch/v1 Job': (o) => new Job(o as never).validate(),
};

const read = (file: string) => readFileSync(join(K8S_BASE, file), 'utf8');
const kustomization = parse(read('kustomization.yaml'));
/** The Kubernetes manifests: the YAML files beside kustomization.yaml (config/ holds gauntlet's own files). */
const manifestFiles = readdirSync(K8S_BASE).filter((file) => /\.ya?ml$/.test(file) && file !== 'kustomization.yaml');
const manifests = manifestFiles.flatMap((file) =>
  parseAllDocuments(read(file)).map((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]!.message}`);
    return { file, object: document.toJS() as K8sObject };
  }),
);
const find = (kind: string, name: string): K8sObject => {
  const found = manifests.find((m) => m.object.kind === kind && m.object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${relative(ROOT, K8S_BASE)}`);
  return found.object;
};
const redisDeployment = find('Deployment', 'gauntlet-redis');
const redisService = find('Service', 'gauntlet-redis');
const redisPolicy = find('NetworkPolicy', 'gauntlet-redis');
const coordinatorJob = find('Job', 'gauntlet-coordinator');
const workersJob = find('Job', 'gauntlet-workers');
const pods: [string, PodSpec, Record<string, string>][] = [redisDeployment, coordinatorJob, workersJob].map((o) => [`${o.kind} ${o.metadata.name}`, o.spec.template.spec, o.spec.template.metadata.labels]);

/** The files a configMapGenerator entry reads, key to path (`files: [path]` or `files: [key=path]`). */
function generatorFiles(generator: { name: string; files?: string[] }): Record<string, string> {
  return Object.fromEntries((generator.files ?? []).map((entry) => (entry.includes('=') ? (entry.split(/=(.*)/s, 2) as [string, string]) : [basename(entry), entry])));
}

/** Whether a Kubernetes label selector selects these labels (matchLabels; matchExpressions In, NotIn, Exists, DoesNotExist). */
function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'In') return key in labels && values.includes(labels[key]!);
    if (operator === 'NotIn') return !(key in labels) || !values.includes(labels[key]!);
    if (operator === 'Exists') return key in labels;
    if (operator === 'DoesNotExist') return !(key in labels);
    throw new Error(`unknown selector operator ${operator}`);
  });
  return byLabels && byExpressions;
}

/** Seconds in a duration as gauntlet's options take it: 90s, 5m, 1h. */
function seconds(duration: string): number {
  const match = /^(\d+)(s|m|h)$/.exec(duration);
  if (!match) throw new Error(`not a duration: ${duration}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
}

/** The value after an option in an argument list. */
function optionValue(argv: string[], option: string): string | undefined {
  const index = argv.indexOf(option);
  return index === -1 ? undefined : argv[index + 1];
}

describe('the Kubernetes base (deploy/kubernetes/base)', () => {
  it('deploys a Redis Deployment, Service and NetworkPolicy, a coordinator Job and a workers Job', () => {
    expect(manifests.map((m) => `${m.object.kind} ${m.object.metadata.name}`).sort()).toEqual([
      'Deployment gauntlet-redis',
      'Job gauntlet-coordinator',
      'Job gauntlet-workers',
      'NetworkPolicy gauntlet-redis',
      'Service gauntlet-redis',
    ]);
  });

  it("every manifest passes the validation of kubernetes-models' schemas, the model picked by apiVersion and kind", () => {
    for (const { file, object } of manifests) {
      const model = `${object.apiVersion} ${object.kind}`;
      expect(Object.keys(VALIDATE), `${file}: no model for ${model}; add it to VALIDATE`).toContain(model);
      expect(() => VALIDATE[model]!(object), file).not.toThrow();
    }
  });

  it("no manifest has a field Kubernetes does not define, or a value of the wrong type (the models' TypeScript types)", () => {
    expect(typeErrorsOf(manifests.map((m) => m.object))).toEqual([]);
  }, 30_000);

  it('both checks can fail: completionMode: Bogus is refused by both, a misspelt field by the types alone', () => {
    const bogus = structuredClone(workersJob);
    bogus.spec.completionMode = 'Bogus';
    expect(() => new Job(bogus as never).validate()).toThrow(/completionMode must be equal to one of the allowed values/);
    expect(typeErrorsOf([bogus])).toEqual([expect.stringMatching(/^Job gauntlet-workers: Type '"Bogus"' is not assignable to type '"Indexed" \| "NonIndexed"/)]);

    const misspelt = structuredClone(workersJob);
    misspelt.spec.template.spec.containers[0].comand = misspelt.spec.template.spec.containers[0].command;
    // The schema lets an unknown field through: the reason for the second check.
    expect(() => new Job(misspelt as never).validate()).not.toThrow();
    expect(typeErrorsOf([misspelt])).toEqual([expect.stringMatching(/^Job gauntlet-workers: .*'"?comand"?' does not exist in type 'IContainer'/)]);
  }, 30_000);

  it('the kustomization lists exactly the manifests of its folder, and generates every file under config/ into a ConfigMap', () => {
    expect([...kustomization.resources].sort()).toEqual([...manifestFiles].sort());
    const generated = (kustomization.configMapGenerator as { name: string; files?: string[] }[]).flatMap((g) => Object.values(generatorFiles(g)));
    for (const file of generated) expect(existsSync(join(K8S_BASE, file)), file).toBe(true);
    // A scenario left out of the generator would silently not run.
    const walk = (dir: string): string[] => readdirSync(join(K8S_BASE, dir)).flatMap((name) => (statSync(join(K8S_BASE, dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
    expect(generated.sort()).toEqual(walk('config').sort());
    // No secretGenerator: kustomize refuses to build when a generator's file is missing, and keys.env (the only
    // file it could read) is never committed. The Secret is made from keys.env with kubectl instead.
    expect(kustomization.secretGenerator).toBeUndefined();
  });

  it('keys.env.example names exactly the variables the profile reads, keys.env is ignored by git, and every gauntlet container reads them from the gauntlet-keys Secret', () => {
    const profile = read('config/profile.yaml');
    const profileReads = [...profile.matchAll(/\$\{env:([A-Za-z_]\w*)\}/g)].map((m) => m[1]!);
    expect(profileReads.length).toBeGreaterThan(0);
    const example = read('keys.env.example');
    const listed = example.split('\n').filter((line) => line.trim() && !line.startsWith('#')).map((line) => line.split('=')[0]!);
    expect([...new Set(listed)].sort()).toEqual([...new Set(profileReads)].sort());
    expect(example).toContain('kubectl create secret generic gauntlet-keys --from-env-file=deploy/kubernetes/base/keys.env');
    const ignored = spawnSync('git', ['check-ignore', '--quiet', 'deploy/kubernetes/base/keys.env'], { cwd: ROOT });
    expect(ignored.status, 'keys.env must be ignored by git').toBe(0);
    for (const command of [coordinatorCommand(), workerCommand()]) expect(command.secretsFrom).toEqual(['gauntlet-keys']);
  });

  it('the workers are an Indexed Job whose completions, parallelism and GAUNTLET_WORKERS agree with the coordinator, and whose pods are never replaced', () => {
    const spec = workersJob.spec;
    expect(spec.completionMode).toBe('Indexed');
    expect(spec.parallelism).toBe(spec.completions);
    expect(workerCommand().env.GAUNTLET_WORKERS).toBe(String(spec.completions));
    expect(coordinatorCommand().env.GAUNTLET_WORKERS).toBe(String(spec.completions));
    for (const job of [coordinatorJob, workersJob]) {
      expect(job.spec.backoffLimit, job.metadata.name).toBe(0);
      expect(job.spec.template.spec.restartPolicy, job.metadata.name).toBe('Never');
    }
  });

  it("each Job's deadline leaves time for the workers to join and the load to run", () => {
    for (const [job, command] of [
      [coordinatorJob, coordinatorCommand()],
      [workersJob, workerCommand()],
    ] as const) {
      expect(Number.isInteger(job.spec.activeDeadlineSeconds), job.metadata.name).toBe(true);
      expect(job.spec.activeDeadlineSeconds, job.metadata.name).toBeGreaterThan(seconds(command.env.GAUNTLET_JOIN_TIMEOUT!) + 60);
    }
  });

  it('every container has CPU and memory requests and limits, and runs as non-root with a read-only root filesystem, no privilege escalation and no capabilities', () => {
    for (const [pod, spec] of pods) {
      expect(spec.automountServiceAccountToken, pod).toBe(false);
      for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
        const where = `${pod}, container ${container.name}`;
        for (const bound of ['requests', 'limits'] as const) expect(Object.keys(container.resources?.[bound] ?? {}).sort(), `${where}: ${bound}`).toEqual(['cpu', 'memory']);
        expect(container.securityContext, where).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        expect(container.securityContext?.capabilities?.add, where).toBeUndefined();
        expect(container.securityContext?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot, where).toBe(true);
      }
    }
    // A load generator throttled at its CPU limit, or evicted for memory, would measure itself.
    const worker = workersJob.spec.template.spec.containers[0] as Container;
    expect(worker.resources!.requests).toEqual(worker.resources!.limits);
  });

  it('Redis keeps nothing on disk, is ready when it answers PING, and its Service reaches its pods on its port', () => {
    const pod = redisDeployment.spec.template;
    const redis = pod.spec.containers[0] as Container;
    expect(redis.image).toBe('redis:7-alpine');
    const after = (flag: string) => (redis.args!.includes(flag) ? redis.args![redis.args!.indexOf(flag) + 1] : `no ${flag}`);
    expect(redis.args![0]).toBe('redis-server');
    expect(after('--save')).toBe('');
    expect(after('--appendonly')).toBe('no');
    expect(redis.readinessProbe?.exec?.command).toEqual(['redis-cli', 'ping']);
    expect(redisDeployment.spec.replicas).toBe(1);
    expect(selects(redisDeployment.spec.selector, pod.metadata.labels)).toBe(true);
    expect(selects({ matchLabels: redisService.spec.selector }, pod.metadata.labels)).toBe(true);
    const [servicePort] = redisService.spec.ports;
    const containerPort = redis.ports!.find((p) => p.name === servicePort.targetPort || p.containerPort === servicePort.targetPort);
    expect(containerPort?.containerPort).toBe(6379);
    expect(servicePort.port).toBe(6379);
  });

  it('only the coordinator and the workers may reach Redis (NetworkPolicy)', () => {
    const labelsOf = (job: K8sObject): Record<string, string> => job.spec.template.metadata.labels;
    expect(selects(redisPolicy.spec.podSelector, redisDeployment.spec.template.metadata.labels)).toBe(true);
    expect(redisPolicy.spec.policyTypes).toEqual(['Ingress']);
    const [rule] = redisPolicy.spec.ingress as { from: { podSelector: LabelSelector }[]; ports: { port: number }[] }[];
    const admits = (labels: Record<string, string>) => rule!.from.some((peer) => selects(peer.podSelector, labels));
    expect(admits(labelsOf(coordinatorJob))).toBe(true);
    expect(admits(labelsOf(workersJob))).toBe(true);
    expect(admits(redisDeployment.spec.template.metadata.labels)).toBe(false);
    expect(admits({ 'app.kubernetes.io/name': 'something-else' })).toBe(false);
    expect(rule!.ports.map((p) => p.port)).toEqual([redisService.spec.ports[0].port]);
  });

  it('the gauntlet containers run the image the kustomization sets, without GAUNTLET_* variables from Service links', () => {
    const [image] = kustomization.images as { name: string; newName: string; newTag: string }[];
    for (const job of [coordinatorJob, workersJob]) {
      expect(job.spec.template.spec.containers[0].image, job.metadata.name).toBe(`${image!.name}:${image!.newTag}`);
      // A Service named gauntlet-redis would otherwise put GAUNTLET_REDIS_PORT=tcp://... into gauntlet's environment.
      expect(job.spec.template.spec.enableServiceLinks, job.metadata.name).toBe(false);
    }
    expect(image!.newName).toBe(image!.name);
  });

  it("the Dockerfile builds the image these pods expect: gauntlet as its entrypoint, as the user the pods run as", () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const lastStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(lastStage).toMatch(/^\nFROM node:20-slim\n/);
    expect(lastStage).toMatch(/npm ci --omit=dev/);
    expect(lastStage).toMatch(/^ENTRYPOINT \["gauntlet"\]$/m);
    // Numeric, or Kubernetes could not check runAsNonRoot; the same user as the pods'.
    const [, user, group] = /^USER (\d+):(\d+)$/m.exec(lastStage) ?? [];
    for (const job of [coordinatorJob, workersJob]) {
      expect(job.spec.template.spec.securityContext, job.metadata.name).toMatchObject({ runAsUser: Number(user), runAsGroup: Number(group) });
    }
    // What must not go into a build context: installed modules, and the keys.
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'deploy/kubernetes/base/keys.env']));
  });

  it("the example profile and scenario name gauntlet's schemas for editors, by paths that exist", () => {
    const files = Object.values(Object.assign({}, ...(kustomization.configMapGenerator as { name: string; files?: string[] }[]).map(generatorFiles))) as string[];
    for (const file of files) {
      const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(read(file))?.[1];
      expect(modeline, file).toBeDefined();
      expect(existsSync(join(K8S_BASE, file, '..', modeline!)), `${file}: ${modeline}`).toBe(true);
      expect(basename(modeline!), file).toBe(file.endsWith('profile.yaml') ? 'profile.schema.json' : 'scenario.schema.json');
    }
  });

  describe("the containers' scripts, run as their pods would run them (gauntlet replaced by a stub that records its arguments)", () => {
    let dir: TempDir;
    let stubBin: string;
    let runs = 0;

    beforeAll(() => {
      dir = tempDir('gauntlet-k8s-');
      stubBin = join(dir.path, 'bin');
      mkdirSync(stubBin);
      const stub = join(stubBin, 'gauntlet');
      writeFileSync(stub, '#!/bin/sh\nfor argument in "$@"; do printf \'%s\\0\' "$argument"; done > "$GAUNTLET_STUB_ARGV"\n');
      chmodSync(stub, 0o755);
    });
    afterAll(() => dir.remove());

    /**
     * A pod's file system in a folder: each ConfigMap volume laid out as the kubelet does it (every key a symlink
     * through ..data into a hidden timestamped folder), each emptyDir an empty folder. Returns the folder each
     * mount path of the container becomes.
     */
    function podFileSystem(pod: PodSpec, name: string): Map<string, string> {
      const root = join(dir.path, `pod-${name}-${++runs}`);
      const generators = new Map((kustomization.configMapGenerator as { name: string; files?: string[] }[]).map((g) => [g.name, generatorFiles(g)]));
      const mounts = new Map<string, string>();
      for (const mount of pod.containers[0]!.volumeMounts ?? []) {
        const volume = pod.volumes?.find((v) => v.name === mount.name);
        if (!volume) throw new Error(`${name}: volumeMount ${mount.name} has no volume`);
        const local = join(root, mount.name);
        if (volume.configMap) {
          const files = generators.get(volume.configMap.name);
          if (!files) throw new Error(`${name}: volume ${mount.name} names ConfigMap ${volume.configMap.name}, which the kustomization does not generate`);
          const stamp = '..2025_01_01_00_00_00.000000001';
          mkdirSync(join(local, stamp), { recursive: true });
          for (const [key, path] of Object.entries(files)) writeFileSync(join(local, stamp, key), readFileSync(join(K8S_BASE, path)));
          symlinkSync(stamp, join(local, '..data'));
          for (const key of Object.keys(files)) symlinkSync(join('..data', key), join(local, key));
        } else if (volume.emptyDir) {
          mkdirSync(local, { recursive: true });
        } else {
          throw new Error(`${name}: volume ${mount.name} is neither a ConfigMap nor an emptyDir; teach podFileSystem about it`);
        }
        mounts.set(mount.mountPath, local);
      }
      return mounts;
    }

    /** A container's env with every path under a mount moved into the pod's folder (the longest mount path wins). */
    function localEnv(env: Record<string, string>, mounts: Map<string, string>): Record<string, string> {
      const byLength = [...mounts.keys()].sort((a, b) => b.length - a.length);
      return Object.fromEntries(
        Object.entries(env).map(([name, value]) => {
          const mountPath = byLength.find((m) => value === m || value.startsWith(`${m}/`));
          return [name, mountPath ? mounts.get(mountPath)! + value.slice(mountPath.length) : value];
        }),
      );
    }

    /** Runs a container's command (sh -c script) with its env, in the pod's folder; what the stub gauntlet was given. */
    function runContainer(container: ContainerCommand, pod: PodSpec, name: string, extra: Record<string, string> = {}) {
      const mounts = podFileSystem(pod, name);
      const argvFile = join(dir.path, `argv-${name}-${runs}`);
      const env = { ...localEnv(container.env, mounts), ...extra };
      const result = spawnSync(container.command[0]!, [...container.command.slice(1), ...container.args], {
        env: { PATH: `${stubBin}:${process.env.PATH}`, GAUNTLET_STUB_ARGV: argvFile, ...env },
        encoding: 'utf8',
      });
      const argv = existsSync(argvFile) ? readFileSync(argvFile, 'utf8').split('\0').slice(0, -1) : undefined;
      return { status: result.status, stderr: result.stderr, argv, env, mounts };
    }

    const coordinatorPod = (): PodSpec => coordinatorJob.spec.template.spec;
    const workerPod = (): PodSpec => workersJob.spec.template.spec;
    const runCoordinator = () => runContainer(coordinatorCommand(), coordinatorPod(), 'coordinator');
    const runWorker = (index: number) => runContainer(workerCommand(), workerPod(), `worker-${index}`, { JOB_COMPLETION_INDEX: String(index) });

    it('the coordinator runs gauntlet run on each scenario of its ConfigMap once, with the profile of the other, and writes reports to a writable folder', () => {
      const { status, stderr, argv, env } = runCoordinator();
      expect(status, stderr).toBe(0);
      expect(argv![0]).toBe('run');
      const scenarios = argv!.slice(1, argv!.findIndex((a) => a.startsWith('-')));
      expect(scenarios).toEqual(Object.keys(generatorFiles(kustomization.configMapGenerator.find((g: { name: string }) => g.name === 'gauntlet-scenarios'))).map((key) => join(env.GAUNTLET_SCENARIOS!, key)));
      expect(optionValue(argv!, '-p')).toBe(env.GAUNTLET_PROFILE);
      expect(readFileSync(env.GAUNTLET_PROFILE!, 'utf8')).toBe(read('config/profile.yaml'));
      expect(argv).toContain('--allow-load');
      expect(optionValue(argv!, '-r')!.split(',')).toEqual(expect.arrayContaining(['console', 'json']));
      const reports = optionValue(argv!, '-o')!;
      const reportsMount = coordinatorPod().containers[0]!.volumeMounts!.find((m) => m.mountPath === coordinatorCommand().env.GAUNTLET_REPORTS);
      expect(coordinatorPod().volumes!.find((v) => v.name === reportsMount?.name)?.emptyDir, 'the reports folder is an emptyDir').toBeDefined();
      writeFileSync(join(reports, 'probe'), 'writable');
    });

    it('the coordinator and every worker meet at the Redis Service under one run id, the coordinator expecting as many workers as the Job runs', () => {
      const coordinator = runCoordinator().argv!;
      const url = new URL(optionValue(coordinator, '--coordinator')!);
      expect(url.protocol).toBe('redis:');
      expect(url.hostname).toBe(redisService.metadata.name);
      expect(Number(url.port)).toBe(redisService.spec.ports[0].port);
      expect(optionValue(coordinator, '--workers')).toBe(String(workersJob.spec.completions));
      const runId = optionValue(coordinator, '--run-id');
      expect(runId).toBeTruthy();
      for (let index = 0; index < workersJob.spec.completions; index++) {
        const worker = runWorker(index).argv!;
        expect(optionValue(worker, '--coordinator')).toBe(optionValue(coordinator, '--coordinator'));
        expect(optionValue(worker, '--run-id')).toBe(runId);
        expect(optionValue(worker, '--join-timeout')).toBe(optionValue(coordinator, '--join-timeout'));
      }
    });

    it('each worker pod runs gauntlet worker for segment index + 1 of N, with --allow-load and the profile folder as its base', () => {
      const n = workersJob.spec.completions as number;
      const segments: string[] = [];
      for (let index = 0; index < n; index++) {
        const { status, stderr, argv, env } = runWorker(index);
        expect(status, stderr).toBe(0);
        expect(argv![0]).toBe('worker');
        segments.push(optionValue(argv!, '--segment')!);
        expect(argv).toContain('--allow-load');
        expect(readFileSync(join(optionValue(argv!, '--base-dir')!, 'profile.yaml'), 'utf8')).toBe(read('config/profile.yaml'));
        expect(optionValue(argv!, '--base-dir')).toBe(env.GAUNTLET_BASE_DIR);
      }
      expect(segments).toEqual(Array.from({ length: n }, (_, i) => `${i + 1}/${n}`));
    });

    it('a worker pod without JOB_COMPLETION_INDEX (a Job that is not Indexed) does not start gauntlet, and says why', () => {
      const { status, stderr, argv } = runContainer(workerCommand(), workerPod(), 'worker-unindexed');
      expect(status).not.toBe(0);
      expect(stderr).toContain('JOB_COMPLETION_INDEX');
      expect(stderr).toContain('completionMode: Indexed');
      expect(argv).toBeUndefined();
    });

    it('the scripts pass only options gauntlet defines (run --help, worker --help)', async () => {
      const known = async (command: string) => {
        const help = await runCli([command, '--help']);
        expect(help.code, help.stderr).toBe(0);
        return new Set([...help.stdout.matchAll(/^\s+(?:(-\w), )?(--[\w-]+)/gm)].flatMap((m) => [m[1], m[2]].filter((o): o is string => Boolean(o))));
      };
      const optionsOf = (argv: string[]) => argv.filter((a) => /^--?[a-z]/.test(a));
      const run = await known('run');
      const worker = await known('worker');
      for (const option of optionsOf(runCoordinator().argv!)) expect(run, option).toContain(option);
      for (const option of optionsOf(runWorker(0).argv!)) expect(worker, option).toContain(option);
    });

    it('the example scenario and profile pass gauntlet validate, read from the ConfigMap mounts as the coordinator reads them', async () => {
      const { argv } = runCoordinator();
      const scenarios = argv!.slice(1, argv!.findIndex((a) => a.startsWith('-')));
      // The keys the Secret would hold: the example's names, with made-up values.
      const keys = Object.fromEntries(
        read('keys.env.example')
          .split('\n')
          .filter((line) => line.trim() && !line.startsWith('#'))
          .map((line) => [line.split('=')[0]!, 'a-made-up-key']),
      );
      const result = await runCli(['validate', ...scenarios, '-p', optionValue(argv!, '-p')!], { env: keys });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toMatch(/ok: 1 scenario\(s\), 1 check\(s\) valid/);
    });
  });
});

describe('test/helpers/k8s-worker-command.ts', () => {
  it("returns the worker container's sh -c script running gauntlet worker, and its env", () => {
    const worker = workerCommand();
    expect(worker.command).toEqual(['/bin/sh', '-c']);
    expect(worker.args).toEqual([worker.script]);
    expect(worker.script).toContain('gauntlet worker');
    expect(Object.keys(worker.env)).toEqual(expect.arrayContaining(['GAUNTLET_COORDINATOR', 'GAUNTLET_RUN_ID', 'GAUNTLET_WORKERS']));
  });

  it("returns the coordinator container's sh -c script running gauntlet run --coordinator, and its env", () => {
    const coordinator = coordinatorCommand();
    expect(coordinator.command).toEqual(['/bin/sh', '-c']);
    expect(coordinator.script).toMatch(/gauntlet run .*--coordinator/s);
    expect(coordinator.env.GAUNTLET_RUN_ID).toBe(workerCommand().env.GAUNTLET_RUN_ID);
  });

  it('refuses a container whose env it could not reproduce outside the cluster, naming the variable', () => {
    const copy = tempDir('gauntlet-k8s-helper-');
    try {
      const job = read('workers-job.yaml').replace('- name: GAUNTLET_RUN_ID\n              value: k8s-example', '- name: GAUNTLET_RUN_ID\n              valueFrom: { fieldRef: { fieldPath: metadata.name } }');
      expect(job).toContain('fieldPath');
      copy.file('workers-job.yaml', job);
      expect(() => workerCommand(copy.path)).toThrow(/env GAUNTLET_RUN_ID of container worker has no literal value/);
    } finally {
      copy.remove();
    }
  });
});
