import { describe, expect, it } from 'vitest';
import { redact, shownUrl } from '../../src/core/redact.ts';
import { ACTION_INPUTS, CLI_FLAGS, OptionReader } from '../../src/core/exchange/options.ts';
import { WifError } from '../../src/core/errors.ts';

describe('a URL as a message shows it', () => {
  it.each([
    ['socks5://user:s3cretpw@proxy:1080', 'socks5://***@proxy:1080'],
    ['http://user:s3cretpw@proxy:3128/', 'http://***@proxy:3128/'],
    ['https://:s3cretpw@proxy.example', 'https://***@proxy.example/'],
    ['ftp://proxy.example/path?token=s3cretpw', 'ftp://proxy.example/path?…'],
    ['user:s3cretpw@proxy:3128', '***@proxy:3128'],
    ['not a url', 'not a url'],
    ['http://proxy:3128', 'http://proxy:3128/'],
  ])('%j as %j', (value, shown) => {
    expect(shownUrl(value)).toBe(shown);
  });
});

describe('the url() option reader', () => {
  it('refuses a non-http(s) URL without echoing its password', () => {
    const reader = new OptionReader(
      { 'http-proxy': 'socks5://user:s3cretpw@proxy:1080' },
      ACTION_INPUTS,
    );
    let error: unknown;
    try {
      reader.url('http-proxy');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WifError);
    expect((error as WifError).oneLine()).toBe(
      'Input "http-proxy" must be an http(s) URL, not "socks5://***@proxy:1080".',
    );
  });

  it('returns an http(s) URL as given', () => {
    const reader = new OptionReader({ e: 'https://user:pw@sts.example/' }, CLI_FLAGS);
    expect(reader.url('e')?.password).toBe('pw');
  });
});

describe('redact', () => {
  it('scrubs the credentials of any URL in a line that may reach a log', () => {
    expect(redact('connect via http://user:s3cretpw@proxy:3128 failed')).toBe(
      'connect via http://***@proxy:3128 failed',
    );
  });
});
