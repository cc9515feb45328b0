import * as api from "@tinyllm/expansion";
import { describeExports } from "../../../scripts/exports-snapshot/describe-exports";

describeExports({ "@tinyllm/expansion": api });
