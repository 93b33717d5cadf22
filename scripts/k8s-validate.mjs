// Validates rendered Kubernetes manifests offline (scripts/check-k8s.sh): every object against
// its schema (the kubernetes-models packages: the Kubernetes API's and the CRDs' of KEDA, the
// Prometheus Operator and External Secrets), then our own rules for every pod template:
//   - every container, init containers included, has CPU and memory requests and limits;
//   - runs as non-root, with a read-only root filesystem, no privilege escalation, all
//     capabilities dropped;
//   - every long-running container (Deployment, StatefulSet) has readiness and liveness probes;
//   - no Deployment that an HPA or a KEDA ScaledObject scales sets replicas;
//   - with --digest, every image is pinned by digest.
// Usage: node scripts/k8s-validate.mjs [--digest] FILE.yaml   (one rendered overlay)
import { readFileSync } from 'node:fs';
import { loadAll } from 'js-yaml';

const args = process.argv.slice(2);
const digest = args[0] === '--digest' && args.shift();
const file = args[0];
const docs = loadAll(readFileSync(file, 'utf8')).filter(Boolean);
const problems = [];
const problem = (obj, what) => problems.push(`${obj.kind}/${obj.metadata?.name}: ${what}`);

// The package and module of a kind's model: kubernetes-models/<group>/<version>/<Kind>.
const packages = { 'keda.sh': '@kubernetes-models/keda', 'monitoring.coreos.com':
  '@kubernetes-models/prometheus-operator', 'external-secrets.io': '@kubernetes-models/external-secrets' };
async function model(obj) {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const pkg = packages[group] ?? 'kubernetes-models';
  try {
    return (await import(`${pkg}/${group ? `${group}/` : ''}${version}/${obj.kind}`))[obj.kind];
  } catch {
    return null;
  }
}

for (const obj of docs) {
  const Model = await model(obj);
  if (!Model) {
    problem(obj, `no schema for ${obj.apiVersion} ${obj.kind}`);
    continue;
  }
  try {
    new Model(obj).validate();
  } catch (e) {
    problem(obj, `schema: ${e.message}`);
  }
}

// Pod templates and whether their containers run for good.
function podSpecs(obj) {
  switch (obj.kind) {
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': return [[obj.spec.template.spec, true]];
    case 'Job': return [[obj.spec.template.spec, false]];
    case 'CronJob': return [[obj.spec.jobTemplate.spec.template.spec, false]];
    default: return [];
  }
}
for (const obj of docs) {
  for (const [pod, longRunning] of podSpecs(obj)) {
    const podSec = pod.securityContext ?? {};
    const all = [...(pod.initContainers ?? []).map((c) => [c, false]), ...pod.containers.map((c) => [c, longRunning])];
    for (const [c, probed] of all) {
      const where = `container ${c.name}`;
      for (const kind of ['requests', 'limits'])
        for (const r of ['cpu', 'memory'])
          if (!c.resources?.[kind]?.[r]) problem(obj, `${where}: no ${kind}.${r}`);
      const sec = c.securityContext ?? {};
      if ((sec.runAsNonRoot ?? podSec.runAsNonRoot) !== true) problem(obj, `${where}: may run as root`);
      if (sec.readOnlyRootFilesystem !== true) problem(obj, `${where}: writable root filesystem`);
      if (sec.allowPrivilegeEscalation !== false) problem(obj, `${where}: privilege escalation allowed`);
      if (!(sec.capabilities?.drop ?? []).includes('ALL')) problem(obj, `${where}: capabilities not dropped`);
      if (probed && (!c.readinessProbe || !c.livenessProbe)) problem(obj, `${where}: no readiness or liveness probe`);
      if (digest && !/@sha256:[0-9a-f]{64}$/.test(c.image)) problem(obj, `${where}: image ${c.image} not pinned by digest`);
    }
  }
}
const scaled = new Set(docs.flatMap((o) =>
  o.kind === 'HorizontalPodAutoscaler' || o.kind === 'ScaledObject' ? [o.spec.scaleTargetRef.name] : []));
for (const obj of docs)
  if (obj.kind === 'Deployment' && scaled.has(obj.metadata.name) && obj.spec.replicas !== undefined)
    problem(obj, 'sets replicas although an autoscaler owns them');

if (problems.length) {
  console.log(problems.map((p) => `${file}: ${p}`).join('\n'));
  process.exit(1);
}
console.log(`${file}: ${docs.length} objects valid`);
