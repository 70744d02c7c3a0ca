export default { KB: 'Knowledge base' } as Record<string, string>;
