import * as api from "@tinyllm/runtime";
import { describeExports } from "../../../scripts/exports-snapshot/describe-exports";

describeExports({ "@tinyllm/runtime": api });
