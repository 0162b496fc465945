import type { ComplaintFunctionProps } from './complaint-function';

/** What every function of a construct shares: key, log retention and the non-secret settings. */
export type SharedFunctionProps = Pick<
  ComplaintFunctionProps,
  'encryptionKey' | 'logRetention' | 'environment' | 'logLevel' | 'metricsNamespace' | 'logRemovalPolicy'
>;
