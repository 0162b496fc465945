// The asl-validator package ships no type declarations.
declare module 'asl-validator' {
  interface AslValidatorResult {
    isValid: boolean;
    errors: Array<Record<string, unknown>>;
    errorsText(separator?: string): string;
  }
  function aslValidator(definition: unknown, opts?: { checkPaths?: boolean; checkArn?: boolean }): AslValidatorResult;
  export = aslValidator;
}
