// The dependency gate: no high or critical advisory in runtime dependencies (`npm audit --omit=dev`).
// Exit 1 when there is one. When the registry's audit service cannot be asked, nothing was checked:
// this says so loudly and exits 2, or 0 (banner kept) when AUDIT_UNAVAILABLE=warn (see SECURITY.md).
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
let report = null;
try {
  report = JSON.parse(run.stdout);
} catch {
  report = null;
}

if (report && report.auditReportVersion && report.metadata?.vulnerabilities) {
  const counts = report.metadata.vulnerabilities;
  const serious = Object.values(report.vulnerabilities ?? {}).filter((v) => v.severity === 'high' || v.severity === 'critical');
  console.log(
    `npm audit (runtime dependencies): ${counts.critical ?? 0} critical, ${counts.high ?? 0} high, ${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low`,
  );
  if (serious.length === 0) process.exit(0);
  for (const v of serious) {
    const fix = v.fixAvailable === true ? 'fix: npm audit fix' : v.fixAvailable ? `fix: ${v.fixAvailable.name}@${v.fixAvailable.version}` : 'no fix yet';
    console.error(`  ${v.severity.toUpperCase()} ${v.name} ${v.range} (${fix})`);
  }
  console.error('Runtime dependencies have high or critical advisories: update them (within Node 20-compatible versions; `npm view PKG engines`).');
  process.exit(1);
}

const why = report?.message ?? report?.error?.summary ?? (run.stderr || run.error?.message || `npm audit exited ${run.status}`).trim();
const bar = '!'.repeat(100);
console.error(`${bar}\n!!! npm audit could NOT check the runtime dependencies: the registry's audit service did not answer.`);
console.error(`!!! ${String(why).split('\n')[0]}`);
console.error(`!!! No advisory was checked. Run \`npm audit --omit=dev --audit-level=high\` where the registry is reachable.\n${bar}`);
process.exit(process.env.AUDIT_UNAVAILABLE === 'warn' ? 0 : 2);
