// LuxAdjust: semantics-aware local adjustment (Nam & Kim 2017, "Deep Semantics-Aware Photo Adjustment"), `lux adjust`.
