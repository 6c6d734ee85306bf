// What a backend's normalize takes: its own spec with every field but the required ones optional (a field left out
// takes the backend's default). Derived from the spec, so a backend never keeps a second list of the
// fields a declaration has (the declaration types do: declarations/types.ts).

export type SpecInput<Spec, Required extends keyof Spec> = Pick<Spec, Required> & {
  [K in Exclude<keyof Spec, Required>]?: Spec[K];
};
