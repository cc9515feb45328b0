// Runs each ```ts example of the package README as a test: see scripts/readme-examples.
import { fileURLToPath } from "node:url";
import { describeReadmeExamples } from "../../../scripts/readme-examples/describe-readme-examples";

describeReadmeExamples({ packageDir: fileURLToPath(new URL("..", import.meta.url)) });
