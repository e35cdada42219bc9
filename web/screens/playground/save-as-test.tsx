export function SaveAsTest(_props: { policyId: string; application: string; result: unknown }) {
  return null;
}
