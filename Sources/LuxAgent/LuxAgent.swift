/// The white-box photo editing agent (Exposure, Hu et al. 2018) behind `lux enhance`.
public enum LuxAgent {}
