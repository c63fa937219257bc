/**
 * Model families, optimizers and schedules a card may name, with the names code uses for them.
 * Within one `role` a choice excludes the others: a card naming one family while the code
 * constructs another of the same role (and never the named one) is a contradiction.
 * `card` phrases are matched on content tokens; `code` entries on the compacted callee/import name
 * (a prefix match: "gradientboosting" also covers GradientBoostingClassifier).
 */
export type FamilyRole = 'estimator' | 'optimizer' | 'schedule' | 'network';

export interface FamilyEntry {
  family: string;
  role: FamilyRole;
  card: string[];
  code: string[];
}

export const FAMILY_VOCABULARY: FamilyEntry[] = [
  { family: 'logistic regression', role: 'estimator', card: ['logistic regression', 'logit model', 'logistic'], code: ['logisticregression', 'logit', 'sgdclassifier'] },
  { family: 'linear regression', role: 'estimator', card: ['linear regression', 'ordinary least squares', 'ols'], code: ['linearregression', 'ols', 'ridge', 'lasso', 'elasticnet'] },
  { family: 'gradient boosting', role: 'estimator', card: ['gradient boosted decision trees', 'gradient boosted decision tree', 'gradient boosted trees', 'boosted decision trees', 'gbdt', 'gradient boosting', 'gradient boosted', 'gbm', 'xgboost', 'lightgbm', 'catboost', 'boosted trees'], code: ['gradientboosting', 'histgradientboosting', 'xgb', 'lgbm', 'catboost', 'xgboost', 'lightgbm'] },
  { family: 'random forest', role: 'estimator', card: ['random forest'], code: ['randomforest'] },
  { family: 'decision tree', role: 'estimator', card: ['decision tree'], code: ['decisiontree'] },
  { family: 'support vector machine', role: 'estimator', card: ['support vector', 'svm'], code: ['svc', 'svr', 'linearsvc', 'svm'] },
  { family: 'k nearest neighbours', role: 'estimator', card: ['nearest neighbor', 'nearest neighbour', 'knn'], code: ['kneighbors'] },
  { family: 'naive bayes', role: 'estimator', card: ['naive bayes'], code: ['gaussiannb', 'multinomialnb', 'bernoullinb'] },
  { family: 'neural network classifier', role: 'estimator', card: ['multilayer perceptron', 'mlp classifier'], code: ['mlpclassifier', 'mlpregressor'] },
  { family: 'AdamW', role: 'optimizer', card: ['adamw'], code: ['adamw', 'adamwtorch', 'fusedadamw'] },
  { family: 'Adam', role: 'optimizer', card: ['adam'], code: ['adam', 'fusedadam'] },
  { family: 'SGD', role: 'optimizer', card: ['sgd', 'stochastic gradient descent'], code: ['sgd'] },
  { family: 'RMSprop', role: 'optimizer', card: ['rmsprop'], code: ['rmsprop'] },
  { family: 'Adagrad', role: 'optimizer', card: ['adagrad'], code: ['adagrad'] },
  { family: 'Adafactor', role: 'optimizer', card: ['adafactor'], code: ['adafactor'] },
  { family: 'LAMB', role: 'optimizer', card: ['lamb optimizer'], code: ['lamb', 'fusedlamb'] },
  { family: 'Lion', role: 'optimizer', card: ['lion optimizer'], code: ['lion'] },
  { family: 'cosine', role: 'schedule', card: ['cosine'], code: ['cosine', 'cosineannealing', 'cosineannealinglr', 'cosineannealingwarmrestarts'] },
  { family: 'linear decay', role: 'schedule', card: ['linear decay', 'linear schedule', 'linearly decayed'], code: ['linear', 'linearlr'] },
  { family: 'step decay', role: 'schedule', card: ['step decay', 'step schedule'], code: ['steplr', 'multisteplr'] },
  { family: 'one cycle', role: 'schedule', card: ['one cycle', 'onecycle', '1cycle'], code: ['onecyclelr', 'onecycle'] },
  { family: 'exponential decay', role: 'schedule', card: ['exponential decay'], code: ['exponentiallr', 'exponential'] },
  { family: 'constant', role: 'schedule', card: ['constant learning rate', 'constant schedule'], code: ['constant', 'constantlr'] },
  { family: 'reduce on plateau', role: 'schedule', card: ['plateau'], code: ['reducelronplateau', 'plateau'] },
];
