import LuxImage
import LuxTensor

/// White-box, differentiable global photo filters (Exposure, Hu et al. 2018).
public enum LuxFilters {}
