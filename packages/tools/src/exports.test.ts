// The names @tinyllm/tools exports. A change here is a change to the public API: update the snapshot
// with `npx vitest run src/exports.test.ts -u` and add a changeset.
import { expect, it } from "vitest";
import * as tools from "@tinyllm/tools";

it("exports the public API of @tinyllm/tools", () => {
  expect(Object.keys(tools).sort()).toMatchInlineSnapshot(`
    [
      "CalculatorErrorCode",
      "CodeErrorCode",
      "SearchErrorCode",
      "ToolErrorCode",
      "ToolNodeConfigSchema",
      "calculator",
      "calculatorInputSchema",
      "calculatorLimits",
      "calculatorOutputSchema",
      "calculatorPolicy",
      "createCalculator",
      "createCodeExecutor",
      "createCodeExecutorTool",
      "createLocalSearch",
      "createPythonExecutor",
      "createPythonExecutorTool",
      "createSearchTool",
      "createSearxngSearch",
      "createToolKind",
      "createToolRegistry",
      "defineTool",
      "evaluateExpression",
      "findCalculableExpression",
      "hasNoNodeSnapshotFlag",
      "isBareCalculation",
      "normalizeExpression",
      "runTool",
      "toToolError",
      "toolDescription",
    ]
  `);
});
