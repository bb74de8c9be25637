/// Training and validation data rendered from real photographs (exposure brackets, pairs, crops).
public enum LuxDatasets {}
