// autocannon 8 ships no types; bench/support/cannon.ts uses its one function and reads the summary as JSON.
declare module 'autocannon' {
  const autocannon: (options: Record<string, unknown>) => Promise<unknown>;
  export default autocannon;
}
