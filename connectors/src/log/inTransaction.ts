// where connectors code has always imported it from; the helper lives in @gx/platform
export { inTransaction } from '@gx/platform';
