export function EditorScreen({ policyId }: { policyId: string }) {
  return <p>{policyId}</p>;
}
