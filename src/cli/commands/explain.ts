import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { ExitCode, WifError, isWifError } from '../../core/errors.ts';
import type { TrustConfig, TrustConfigType } from '../../core/policy/index.ts';
import {
  detectTrustConfig,
  explainTrust,
  explanationJson,
  parseVaultConfig,
  renderExplanationText,
} from '../../core/policy/index.ts';
import type { Claims } from '../../core/token/claims.ts';
import { decodeToken } from '../../core/token/claims.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command, CommandIo } from '../command.ts';

const usage = `Usage: wif explain (--token-file F | --token-env NAME | --claims F) [options] CONFIG...

Says whether each trust configuration accepts the token, condition by condition, and names the
likely cause of a refusal. The token is decoded, never verified and never printed.

Token (exactly one; F may be - for standard input):
  --token-file F          a file holding the raw OIDC token
  --token-env NAME        an environment variable holding the raw OIDC token
  --claims F              a JSON file of claims (e.g. the "claims" of \`wif token\`)

CONFIG files (JSON, type detected):
  AWS    aws iam get-role --role-name R --output json, or a bare trust policy
  GCP    gcloud iam workload-identity-pools providers describe … --format json
         (add gcloud iam service-accounts get-iam-policy SA --format json to check the binding)
  Azure  az ad app federated-credential show|list …, az identity federated-credential show|list …
  Vault  vault read -format=json auth/<mount>/role/<role> (and auth/<mount>/config)

Options:
  --type T                force the type of every CONFIG: aws, gcp, azure or vault
  --vault-mount-config F  the JWT mount config (vault read -format=json auth/<mount>/config)
  --vault-leeways M       documented (default) or plugin: how Vault applies its exp/nbf leeways
  --audience A            the STS audience a GCP exchange sends (default: the provider's name)
  --format F              text (default) or json

Exit status: 0 when every configuration accepts the token, 1 when any refuses it, 2 on a
usage error.
`;

const TYPES: readonly TrustConfigType[] = ['aws', 'gcp', 'azure', 'vault'];

export const command: Command = {
  name: 'explain',
  summary: 'Explain whether a trust configuration accepts a token, and why not',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      'explain',
      argv,
      {
        'token-file': { type: 'string' },
        'token-env': { type: 'string' },
        claims: { type: 'string' },
        type: { type: 'string' },
        'vault-mount-config': { type: 'string' },
        'vault-leeways': { type: 'string', default: 'documented' },
        audience: { type: 'string' },
        format: { type: 'string', default: 'text' },
      },
      true,
    );
    const format = values.format;
    if (format !== 'text' && format !== 'json') {
      throw usageError(`--format must be text or json, not "${format}".`);
    }
    const forced = values.type;
    if (forced !== undefined && !TYPES.includes(forced as TrustConfigType)) {
      throw usageError(`--type must be one of ${TYPES.join(', ')}, not "${forced}".`);
    }
    const leeways = values['vault-leeways'];
    if (leeways !== 'documented' && leeways !== 'plugin') {
      throw usageError(`--vault-leeways must be documented or plugin, not "${leeways}".`);
    }
    if (positionals.length === 0) {
      throw usageError('wif explain needs at least one CONFIG file.');
    }
    const claims = await readClaims(values, io);
    const configs: TrustConfig[] = [];
    for (const file of positionals) {
      const document = await readJson(file, io);
      configs.push(detectTrustConfig(document, file, forced as TrustConfigType | undefined));
    }
    const mountFile = values['vault-mount-config'];
    const vaultConfig =
      mountFile === undefined
        ? undefined
        : parseVaultConfig(await readJson(mountFile, io), mountFile);
    const results = explainTrust(claims, configs, {
      now: Math.floor(Date.now() / 1000),
      vaultBehaviour: leeways,
      ...(vaultConfig === undefined ? {} : { vaultConfig }),
      ...(values.audience === undefined ? {} : { requestedAudience: values.audience }),
    });
    io.stdout(
      format === 'json'
        ? `${JSON.stringify(explanationJson(results), null, 2)}\n`
        : renderExplanationText(results),
    );
    return results.every((r) => r.decision.accepted) ? ExitCode.ok : ExitCode.denied;
  },
};

async function readClaims(
  values: { 'token-file'?: string; 'token-env'?: string; claims?: string },
  io: CommandIo,
): Promise<Claims> {
  const given = (['token-file', 'token-env', 'claims'] as const).filter(
    (k) => values[k] !== undefined,
  );
  if (given.length !== 1) {
    throw usageError('wif explain needs exactly one of --token-file, --token-env and --claims.');
  }
  if (values.claims !== undefined) {
    const document = await readJson(values.claims, io);
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw usageError(`${values.claims} is not a JSON object of claims.`);
    }
    const wrapped = (document as Record<string, unknown>)['claims'];
    // `wif token` output nests the claims; accept it as is.
    const claims =
      typeof wrapped === 'object' && wrapped !== null && !Array.isArray(wrapped)
        ? wrapped
        : document;
    return claims as Claims;
  }
  let token: string;
  if (values['token-env'] !== undefined) {
    const name = values['token-env'];
    const value = io.env[name];
    if (value === undefined || value.trim() === '') {
      throw usageError(`The environment variable ${name} is not set or empty.`);
    }
    token = value;
  } else {
    token = await readText(values['token-file'] ?? '-', io);
  }
  try {
    return decodeToken(token).claims;
  } catch (error) {
    // A token the user handed us that is not a JWT is bad input to this command.
    if (isWifError(error))
      throw new WifError('usage', error.message, error.fix === undefined ? {} : { fix: error.fix });
    throw error;
  }
}

async function readText(file: string, io: CommandIo): Promise<string> {
  if (file === '-') return io.readStdin();
  const path = isAbsolute(file) ? file : resolve(io.cwd, file);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw usageError(`Cannot read ${file} (${code}).`);
  }
}

async function readJson(file: string, io: CommandIo): Promise<unknown> {
  const text = await readText(file, io);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw usageError(`${file} is not valid JSON.`);
  }
}

function usageError(message: string): WifError {
  return new WifError('usage', message, { fix: 'Run `wif explain --help` for its options.' });
}
