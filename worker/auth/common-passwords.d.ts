// zxcvbn-ts ships its common-password list as a module of its own (no types for the deep path).
declare module "@zxcvbn-ts/language-common/dist/passwords.json.mjs" {
  const passwords: string[];
  export default passwords;
}
