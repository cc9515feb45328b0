// The names @tinyllm/grading exports. A change here is a change to the public API: update the snapshot
// with `npx vitest run src/exports.test.ts -u` and add a changeset.
import { expect, it } from "vitest";
import * as grading from "@tinyllm/grading";

it("exports the public API of @tinyllm/grading", () => {
  expect(Object.keys(grading).sort()).toMatchInlineSnapshot(`
    [
      "GateNodeConfigSchema",
      "GateStepSchema",
      "GradingErrorCode",
      "RubricChecksSchema",
      "RubricDimensionSchema",
      "RubricSchema",
      "asksForCode",
      "asksForJson",
      "createGateKind",
      "createJudge",
      "createRubricSet",
      "defaultRubric",
      "defaultVerdictStorePath",
      "extractCode",
      "extractFinalNumber",
      "grade",
      "guessLanguage",
      "loadCodeTests",
      "loadRubrics",
      "numbersAgree",
      "openVerdictStore",
      "parseNumber",
      "parseRubric",
      "runCodeCheck",
      "runJsonCheck",
      "runMathCheck",
      "runRuleChecks",
      "runnableCode",
    ]
  `);
});
