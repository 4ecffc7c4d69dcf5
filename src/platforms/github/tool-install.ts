/**
 * Installs the renderers `wif scan --helm-chart` / `--kustomize` need when the runner has none:
 * a pinned release, downloaded with @actions/tool-cache, its SHA-256 checked against the digest
 * pinned here before anything is extracted, then cached so later jobs on the runner reuse it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, constants, rm } from 'node:fs/promises';
import path from 'node:path';
import * as toolCache from '@actions/tool-cache';
import { WifError } from '../../core/errors.ts';

export interface ToolRelease {
  readonly tool: 'helm' | 'kustomize';
  readonly version: string;
  readonly url: string;
  /** SHA-256 of the archive at `url`, lower-case hex. */
  readonly sha256: string;
  /** Path of the binary inside the extracted archive. */
  readonly binary: string;
}

type Platform = `${NodeJS.Platform}-${string}`;

/** Digests as published with each release (helm: get.helm.sh `.sha256sum`; kustomize: release checksums). */
export const PINNED_RELEASES: Readonly<
  Record<'helm' | 'kustomize', Partial<Record<Platform, ToolRelease>>>
> = {
  helm: {
    'linux-x64': {
      tool: 'helm',
      version: '3.14.4',
      url: 'https://get.helm.sh/helm-v3.14.4-linux-amd64.tar.gz',
      sha256: 'a5844ef2c38ef6ddf3b5a8f7d91e7e0e8ebc39a38bb3fc8013d629c1ef29c259',
      binary: 'linux-amd64/helm',
    },
    'linux-arm64': {
      tool: 'helm',
      version: '3.14.4',
      url: 'https://get.helm.sh/helm-v3.14.4-linux-arm64.tar.gz',
      sha256: '113ccc53b7c57c2aba0cd0aa560b5500841b18b5210d78641acfddc53dac8ab2',
      binary: 'linux-arm64/helm',
    },
  },
  kustomize: {
    'linux-x64': {
      tool: 'kustomize',
      version: '5.4.3',
      url: 'https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2Fv5.4.3/kustomize_v5.4.3_linux_amd64.tar.gz',
      sha256: '3669470b454d865c8184d6bce78df05e977c9aea31c30df3c669317d43bcc7a7',
      binary: 'kustomize',
    },
  },
};

export function pinnedRelease(
  tool: 'helm' | 'kustomize',
  platform: Platform = `${process.platform}-${process.arch}`,
): ToolRelease {
  const release = PINNED_RELEASES[tool][platform];
  if (release === undefined) {
    throw new WifError(
      'usage',
      `No pinned ${tool} release for ${platform}, and ${tool} is not on PATH.`,
      {
        fix: `Install ${tool} on the runner before this step.`,
      },
    );
  }
  return release;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Returns the path of the release's binary: from the tool cache when an earlier job installed
 * it, otherwise downloaded, verified, extracted and cached. Needs RUNNER_TOOL_CACHE and
 * RUNNER_TEMP (always set on runners).
 */
export async function installTool(release: ToolRelease): Promise<string> {
  const cached = toolCache.find(release.tool, release.version);
  if (cached !== '') return path.join(cached, path.basename(release.binary));
  const archive = await toolCache.downloadTool(release.url).catch((error: unknown) => {
    throw new WifError('network', `Downloading ${release.tool} ${release.version} failed.`, {
      fix: `Check that the runner can reach ${new URL(release.url).host}, or install ${release.tool} before this step.`,
      cause: error,
      transient: true,
    });
  });
  try {
    const actual = await sha256Of(archive);
    if (actual !== release.sha256) {
      throw new WifError(
        'denied',
        `${release.tool} ${release.version} failed its checksum: got sha256 ${actual}, pinned ${release.sha256}.`,
        {
          fix: 'Do not use this download; retry later, and report it if it persists (the release may have been tampered with).',
        },
      );
    }
    const extracted = await toolCache.extractTar(archive);
    const binary = path.join(extracted, release.binary);
    await access(binary, constants.X_OK).catch(() => {
      throw new WifError(
        'service',
        `The ${release.tool} archive has no executable ${release.binary}.`,
        {
          fix: 'Install the tool on the runner before this step.',
        },
      );
    });
    const directory = await toolCache.cacheDir(path.dirname(binary), release.tool, release.version);
    return path.join(directory, path.basename(release.binary));
  } finally {
    await rm(archive, { force: true });
  }
}
