import { WifError } from '../errors.ts';
import type { CredentialSet } from './credential-set.ts';

/**
 * What several targets exported in one go must respect: each keeps its own outputs, and no two
 * claim the same place. Shared by every sink (applyExport runs the check), so GitHub, GitLab,
 * Tekton and the CLI refuse the same configurations the same way.
 */

/**
 * Names a set's outputs `<target>-<output>` (and the outputs that receive file paths), as the
 * umbrella action and `wif federate` do, so two targets of one step keep their outputs apart.
 */
export function prefixOutputs(set: CredentialSet): CredentialSet {
  return {
    ...set,
    plan: {
      ...set.plan,
      outputs: set.plan.outputs.map((o) => ({ ...o, name: `${set.target}-${o.name}` })),
      files: set.plan.files.map((f) => ({
        ...f,
        pathOutputs: f.pathOutputs.map((n) => `${set.target}-${n}`),
      })),
    },
  };
}

/**
 * Refuses sets of different targets that would write the same variable or output: the second
 * would silently replace the first's credentials. `outputVariable` is given where outputs end
 * up as variables (the CLI's export lines, env files), so an output and a variable can clash too.
 */
export function checkNoClash(
  sets: readonly CredentialSet[],
  outputVariable?: (output: string) => string,
): void {
  const owners = new Map<string, string>();
  const claim = (place: string, what: string, target: string): void => {
    const other = owners.get(place);
    if (other !== undefined && other !== target) {
      throw new WifError('usage', `Targets "${other}" and "${target}" would both set ${what}.`, {
        fix: 'Give one of them a profile (AWS) or export-env: false, so each identity keeps its own place.',
      });
    }
    owners.set(place, target);
  };
  for (const set of sets) {
    const variables = [
      ...set.plan.env.map((v) => v.name),
      ...set.plan.files.flatMap((f) => f.pathEnv),
    ];
    const outputs = [
      ...set.plan.outputs.map((o) => o.name),
      ...set.plan.files.flatMap((f) => f.pathOutputs),
    ];
    for (const name of variables) claim(`env ${name}`, name, set.target);
    for (const name of outputs) {
      const variable = outputVariable?.(name);
      if (variable === undefined) claim(`output ${name}`, `the output ${name}`, set.target);
      else claim(`env ${variable}`, variable, set.target);
    }
  }
}
