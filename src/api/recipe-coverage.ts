// COVERAGE.md's recipes part: every recipe Personalize lists (the catalogue) and what personalize-local does with it.
import { CATALOGUE } from '../recipes/catalogue.js';
import { RECIPES } from '../recipes/index.js';
import { USE_CASES } from '../engine/serving/use-cases.js';

export function recipeCoverageLines(): string[] {
  const built = new Set([...RECIPES.values()].map((r) => r.name));
  const rows = CATALOGUE.map((c) => {
    let status: string;
    if (built.has(c.name)) status = 'trained locally';
    else if (c.domain) {
      const local = USE_CASES[c.name]?.recipes.find((r) => built.has(r));
      status = local ? `CreateRecommender use case, trains \`${local}\`` : 'not available locally';
    } else status = 'not available locally: CreateSolution answers `InvalidInputException` listing the recipes trained locally';
    return `| \`${c.name}\` | ${c.recipeType} | ${status} |`;
  });
  const local = CATALOGUE.filter((c) => built.has(c.name) || (c.domain && USE_CASES[c.name]?.recipes.some((r) => built.has(r)))).length;
  return [
    '## Recipes',
    '',
    `**${local} of ${CATALOGUE.length} recipes and use cases train locally.**`,
    '',
    '| recipe | type | status |',
    '|---|---|---|',
    ...rows,
    '',
  ];
}
