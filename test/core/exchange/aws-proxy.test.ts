import { describe, expect, it } from 'vitest';
import {
  bypassesProxy,
  isProxyUrl,
  proxyForUrl,
  stsEndpointUrl,
} from '../../../src/core/exchange/aws/proxy.ts';

const sts = new URL('https://sts.eu-west-1.amazonaws.com');
const proxy = 'http://proxy.corp.example:3128';

describe('the proxy for AWS STS calls', () => {
  it('is the http-proxy input when given, whatever the environment says', () => {
    expect(proxyForUrl(sts, 'http://other:8080', { https_proxy: proxy, no_proxy: '*' })).toEqual({
      name: 'http-proxy',
      value: 'http://other:8080',
    });
  });

  it('is https_proxy for https endpoints, the lower-case spelling first', () => {
    expect(proxyForUrl(sts, undefined, { https_proxy: proxy, HTTPS_PROXY: 'http://x:1' })).toEqual({
      name: 'https_proxy',
      value: proxy,
    });
    expect(proxyForUrl(sts, undefined, { HTTPS_PROXY: proxy })).toEqual({
      name: 'HTTPS_PROXY',
      value: proxy,
    });
  });

  it('falls back to http_proxy for https, as google-auth-library does in the same step', () => {
    expect(proxyForUrl(sts, undefined, { http_proxy: proxy })?.value).toBe(proxy);
  });

  it('is http_proxy only, for an http endpoint', () => {
    const local = new URL('http://sts.internal:4566');
    expect(proxyForUrl(local, undefined, { https_proxy: proxy })).toBeUndefined();
    expect(proxyForUrl(local, undefined, { http_proxy: proxy })?.value).toBe(proxy);
  });

  it('is none when nothing is set, or only blanks', () => {
    expect(proxyForUrl(sts, undefined, {})).toBeUndefined();
    expect(proxyForUrl(sts, undefined, { https_proxy: '  ', HTTPS_PROXY: '' })).toBeUndefined();
  });
});

describe('no_proxy', () => {
  it.each([
    ['*', true],
    ['amazonaws.com', true],
    ['.amazonaws.com', true],
    ['*.amazonaws.com', true],
    ['sts.eu-west-1.amazonaws.com', true],
    ['sts.eu-west-1.amazonaws.com:443', true],
    ['sts.eu-west-1.amazonaws.com:8443', false],
    ['example.com, localhost', false],
    ['zonaws.com', false],
    ['', false],
  ])('%j exempts the regional STS endpoint: %s', (list, exempt) => {
    expect(bypassesProxy(sts, { no_proxy: list })).toBe(exempt);
    expect(proxyForUrl(sts, undefined, { https_proxy: proxy, NO_PROXY: list }) === undefined).toBe(
      exempt,
    );
  });

  it('matches IP hosts and their ports', () => {
    const local = new URL('http://127.0.0.1:4566');
    expect(bypassesProxy(local, { no_proxy: '127.0.0.1' })).toBe(true);
    expect(bypassesProxy(local, { no_proxy: '127.0.0.1:4566' })).toBe(true);
    expect(bypassesProxy(local, { no_proxy: '127.0.0.1:80' })).toBe(false);
  });
});

describe('the STS endpoint a proxy decision is made for', () => {
  it('is the endpoint given, then the SDK endpoint variables, then the regional one', () => {
    expect(stsEndpointUrl('http://sts.local:4566', 'us-east-1', {}).host).toBe('sts.local:4566');
    expect(
      stsEndpointUrl(undefined, 'us-east-1', { AWS_ENDPOINT_URL_STS: 'https://a.example' }).host,
    ).toBe('a.example');
    expect(
      stsEndpointUrl(undefined, 'us-east-1', { AWS_ENDPOINT_URL: 'https://b.example' }).host,
    ).toBe('b.example');
    expect(stsEndpointUrl(undefined, 'eu-west-1', {}).host).toBe('sts.eu-west-1.amazonaws.com');
    expect(stsEndpointUrl(undefined, 'cn-north-1', {}).host).toBe(
      'sts.cn-north-1.amazonaws.com.cn',
    );
  });
});

describe('a usable proxy URL', () => {
  it.each([
    ['http://proxy:3128', true],
    ['https://user:pass@proxy.example', true],
    ['proxy:3128', false],
    ['user:secret@proxy', false],
    ['socks5://proxy:1080', false],
    ['not a url', false],
  ])('%j: %s', (value, ok) => {
    expect(isProxyUrl(value)).toBe(ok);
  });
});
