// GC170-GC171: the chart version and repository.
// The two functions alone: the whole of semver is 70 kB the CLI would load at every start.
import semverClean from 'semver/functions/clean';
import semverValid from 'semver/functions/valid';
import { quote } from '../codes';
import type { RuleContext } from '../context';
import { isChartVersion, isOciUrl } from '../grammars';

export function checkCharts(ctx: RuleContext): void {
  const versionPath = ['spec', 'charts', 'version'];
  const version = ctx.string(versionPath);
  // semver trims blanks and would take "0.9.6\n": the text itself must be the version, nothing around it.
  if (version !== undefined && !isChartVersion(version)) {
    const cleaned = semverValid(semverClean(version) ?? '');
    ctx.fail(
      'GC170',
      versionPath,
      `Chart version ${quote(version)} is not a semantic version; write MAJOR.MINOR.PATCH, such as "0.9.6".`,
      cleaned ? { fix: { kind: 'replaceValue', value: cleaned } } : {},
    );
  }
  const repositoryPath = ['spec', 'charts', 'repository'];
  const repository = ctx.string(repositoryPath);
  if (repository !== undefined && !isOciUrl(repository)) {
    ctx.fail(
      'GC171',
      repositoryPath,
      `Chart repository ${quote(repository)} is not an oci:// repository (a registry host, an optional port, lowercase path names); write one such as "oci://us-docker.pkg.dev/opsramp-registry/gateway-cluster-charts".`,
    );
  }
}
