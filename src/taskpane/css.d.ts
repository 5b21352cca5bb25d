// webpack's asset/source rule imports a stylesheet as its text, adopted at start-up.
declare module "*.css" {
  const text: string;
  export default text;
}
