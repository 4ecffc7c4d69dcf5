import { readFile } from 'node:fs/promises';
import { ExitCode, WifError } from '../../core/errors.ts';
import { parseFederationConfig } from '../../core/exchange/federation-config.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { federateOnCli, selfCommand } from '../federation.ts';
import { parseSeconds } from '../values.ts';

const usage = `Usage: wif federate --config wif.yaml [--source S] [--format shell|json|env-file] [--output-dir DIR]

Runs every target of a wif.yaml concurrently with one pipeline token, and exports all of the
credentials at once (or none, when any target fails, or two would set the same variable).
Outputs are named per target: WIF_<TARGET>_<OUTPUT> (shell, env-file), <target>-<output>
(json). The same file drives the umbrella GitHub action (\`config:\` input), GitLab jobs and
Tekton steps; its JSON Schema is docs/wif-config.schema.json.

  version: 1
  source: auto                 # or github, gitlab:WIF_ID_TOKEN, file:/var/run/secrets/…/token
  targets:
    prod:
      type: aws
      role-arn: arn:aws:iam::123456789012:role/deploy
      region: eu-west-1
    analytics:
      type: gcp
      workload-identity-provider: projects/123/locations/global/workloadIdentityPools/ci/providers/github
      service-account: deployer@proj.iam.gserviceaccount.com
`;

export const command: Command = {
  name: 'federate',
  summary: 'Run every target of a wif.yaml concurrently (AWS, GCP, Azure)',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs('federate', argv, {
      config: { type: 'string' },
      source: { type: 'string' },
      format: { type: 'string', default: 'shell' },
      'output-dir': { type: 'string' },
      'timeout-seconds': { type: 'string', default: '300' },
    });
    if (values.config === undefined)
      throw new WifError('usage', 'wif federate needs --config FILE.', {
        fix: 'Run `wif federate --help` for the file format.',
      });
    const file = values.config;
    const text = await readFile(file, 'utf8').catch(() => {
      throw new WifError('usage', `Cannot read the config file ${file}.`);
    });
    const config = parseFederationConfig(text, file, io.env);
    const format = values.format;
    if (format !== 'shell' && format !== 'json' && format !== 'env-file') {
      throw new WifError('usage', `--format must be shell, json or env-file, not "${format}".`);
    }
    await federateOnCli(
      config.targets,
      {
        source: values.source ?? config.source ?? 'auto',
        format,
        outputDir: values['output-dir'],
        timeoutSeconds: parseSeconds('--timeout-seconds', values['timeout-seconds'], {
          min: 5,
          max: 3600,
        }),
        prefixOutputs: true,
      },
      io,
      selfCommand(),
    );
    return ExitCode.ok;
  },
};
