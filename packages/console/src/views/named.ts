/** A unit's or type's name beside its id; the id alone while the names load (or for one gone). */
export const named = (id: string, items: readonly { id: string; name: string }[] | undefined) => {
  const name = items?.find((i) => i.id === id)?.name;
  return name ? `${name} (${id})` : id;
};

/** A select's options, with the URL's value kept when it is none of them: its refusal says why. */
export function withCurrent<O extends { id: string; name: string }>(
  options: readonly O[],
  value: string | null,
): { id: string; name: string }[] {
  return value && !options.some((o) => o.id === value)
    ? [...options, { id: value, name: value }]
    : [...options];
}
