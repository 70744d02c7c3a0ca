export default { KB: 'База знаний' } as Record<string, string>;
