import * as api from "@tinyllm/tools";
import { describeExports } from "../../../scripts/exports-snapshot/describe-exports";

describeExports({ "@tinyllm/tools": api });
