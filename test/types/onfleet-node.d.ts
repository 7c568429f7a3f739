/** Onfleet's official Node SDK ships no type declarations; the compatibility suite uses it untyped. */
declare module '@onfleet/node-onfleet' {
  const Onfleet: any;
  export default Onfleet;
}
