// LuxCorrect: multi-scale exposure correction (Afifi, Derpanis, Ommer & Brown, CVPR 2021) behind `lux correct`.
