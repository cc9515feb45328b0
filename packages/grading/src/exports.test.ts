import * as api from "@tinyllm/grading";
import { describeExports } from "../../../scripts/exports-snapshot/describe-exports";

describeExports({ "@tinyllm/grading": api });
