export function Changes() {
  return <p>changes</p>;
}
