"""The CNN lab page's logic without a page: a click on a feature map names its channel, and the
overfitting note speaks only when training runs ahead of held-out accuracy."""




def test_a_click_event_names_the_channel_of_the_map_clicked():
    from ui.cnn.views import clicked_channel

    assert clicked_channel({"selection": {"points": [{"customdata": 7, "x": 1, "y": 2}]}}) == 7
    assert clicked_channel({"selection": {"points": [{"customdata": [3]}]}}) == 3
    assert clicked_channel({"selection": {"points": []}}) is None and clicked_channel(None) is None


def test_the_cnn_overfitting_note_speaks_only_when_training_runs_ahead():
    from ui.cnn.train_live import overfitting_note

    assert "Overfitting" in overfitting_note({"train_acc": 0.95, "test_acc": 0.40}, 12, 960, 240)
    assert "960 training images" in overfitting_note({"train_acc": 0.95, "test_acc": 0.40}, 12, 960, 240)
    assert overfitting_note({"train_acc": 0.95, "test_acc": 0.90}, 12, 960, 240) == ""
    assert overfitting_note({"train_acc": 0.95, "test_acc": 0.40}, 2, 960, 240) == ""  # too early to say
    assert overfitting_note({}, 12, 960, 240) == ""
