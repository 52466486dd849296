// Evaluated before `natural` (see ./natural.ts): dotenv reads this to stay silent.
process.env.DOTENV_CONFIG_QUIET ??= 'true';
export {};
