export function Diff({ policyId }: { policyId: string }) {
  return <p>{policyId}</p>;
}
