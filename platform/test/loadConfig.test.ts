import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/loadConfig.ts';
import {
  SERVICE_CONFIG_REQUIRED,
  serviceConfigProperties,
  type ServiceConfig,
} from '../src/config/serviceConfig.ts';
import { loadLauncherConfig } from '../src/launcher/launcherConfig.ts';

const schema = {
  type: 'object' as const,
  properties: serviceConfigProperties(4001),
  required: [...SERVICE_CONFIG_REQUIRED],
};
const good = {
  DATABASE_URL: 'postgresql://app:pw@db:5432/gx',
  OIDC_ISSUER: 'https://sso.example.gov.cn/realms/gov-exchange',
};

describe('loadConfig', () => {
  it('applies defaults and coerces types', () => {
    const config = loadConfig<ServiceConfig>('catalog', schema, {
      ...good,
      PORT: '5001',
      UNRELATED: 'x',
    });
    expect(config).toEqual({
      ...good,
      PORT: 5001,
      HOST: '127.0.0.1',
      DB_POOL_MAX: 10,
      LOG_LEVEL: 'info',
      OIDC_AUDIENCE: 'gov-exchange-api',
      IDENTITY_PROVIDER: 'external',
    });
  });

  it('names the variable of a bad value', () => {
    expect(() => loadConfig('catalog', schema, { ...good, PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig('catalog', schema, { ...good, PORT: 'abc' })).toThrow(
      /PORT must be integer, got "abc"/,
    );
    expect(() => loadConfig('catalog', schema, { ...good, PORT: '70000' })).toThrow(
      /PORT must be <= 65535/,
    );
    expect(() => loadConfig('catalog', schema, { ...good, LOG_LEVEL: 'loud' })).toThrow(
      /LOG_LEVEL must be equal to one of/,
    );
  });

  it('refuses an HTTP port that browsers and fetch will not connect to, and says why', () => {
    // 6000 is X11's: the service would start, and every request to it fail with "bad port"
    expect(() => loadConfig('catalog', schema, { ...good, PORT: '6000' })).toThrow(
      /PORT 6000 is a port browsers and fetch refuse to connect to/,
    );
    const launcher = () =>
      loadLauncherConfig('/repo', { EXCHANGE_API_PORT: '6000', EMBEDDED_PG_PORT: '6000' });
    expect(launcher).toThrow(/EXCHANGE_API_PORT 6000 is a port browsers and fetch refuse/);
    // PostgreSQL is not reached by fetch: its port may be any
    expect(launcher).not.toThrow(/EMBEDDED_PG_PORT/);
    expect(loadConfig<ServiceConfig>('catalog', schema, { ...good, PORT: '6001' }).PORT).toBe(6001);
  });

  it('reports every problem at once and names a missing variable', () => {
    try {
      loadConfig('catalog', schema, { PORT: 'abc', DB_POOL_MAX: '0' });
      expect.unreachable();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/DATABASE_URL is required/);
      expect(problems).toMatch(/PORT must be integer/);
      expect(problems).toMatch(/DB_POOL_MAX must be >= 1/);
    }
  });

  it('never prints a secret value', () => {
    try {
      loadConfig('catalog', schema, { DATABASE_URL: 'mysql://root:topsecret@db/x' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(
        /DATABASE_URL must match pattern .*, got \(hidden\)/,
      );
      expect((error as Error).message).not.toContain('topsecret');
    }
  });
});
