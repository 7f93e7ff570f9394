/** Reads a JSON body as a loosely typed value: tests assert on its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function jsonOf(res: Response): Promise<any> {
  return res.json();
}
