export function Tests({ policyId }: { policyId: string }) {
  return <p>{policyId}</p>;
}
